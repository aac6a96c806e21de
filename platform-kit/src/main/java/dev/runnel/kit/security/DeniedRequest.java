package dev.runnel.kit.security;

/**
 * A request the service refused, as the {@code access.denied} event describes it.
 *
 * @param method the HTTP method
 * @param path the request path without its query string (queries may carry secrets)
 * @param route the endpoint's path template when the request reached one, else null
 * @param status the answer: 403 (forbidden action) or 404 (another team's object)
 * @param reason why it was refused
 * @param detail the explanation the caller was given for a 403; null for a 404, whose answer is
 *     deliberately the one for a missing object
 * @param caller who asked (never the token)
 * @param requestedTeam the team of the object asked for, when known
 * @param objectKind what kind of object was asked for, when known
 * @param objectId which object, when known
 */
public record DeniedRequest(
    String method,
    String path,
    String route,
    int status,
    Denial.Reason reason,
    String detail,
    Caller caller,
    String requestedTeam,
    String objectKind,
    String objectId) {}
