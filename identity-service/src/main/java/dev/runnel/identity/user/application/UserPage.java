package dev.runnel.identity.user.application;

import dev.runnel.identity.user.domain.User;
import java.util.List;

/** A page of users and the cursor of the next page (null on the last). */
public record UserPage(List<User> items, String nextCursor) {}
