/**
 * The console's backend-for-frontend login: Keycloak's authorization code flow with PKCE, a session
 * cookie instead of tokens in the browser, CSRF protection for that cookie, the session's access
 * token relayed (and refreshed) to the services, and logout that ends the Keycloak session too.
 */
package dev.runnel.gateway.login;
