package dev.runnel.identity.team.application;

import dev.runnel.identity.team.domain.Team;
import java.util.List;

/** A page of teams and the cursor of the next page (null on the last). */
public record TeamPage(List<Team> items, String nextCursor) {}
