package dev.runnel.audit.trail.application;

import dev.runnel.audit.trail.domain.TrailEntry;
import java.util.List;

/** A page of the trail, newest first, and the cursor of the next page (null on the last). */
public record TrailPage(List<TrailEntry> items, String nextCursor) {}
