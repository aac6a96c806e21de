/**
 * The platform's Helm chart repository ({@code /charts/**}) for the real Helm CLI: {@code helm repo
 * add --username --password} and {@code helm pull} can only send HTTP basic credentials, so on
 * {@code GET}/{@code HEAD} of {@code /charts/**} (and nowhere else) the gateway exchanges them with
 * Keycloak for an access token and relays that token to market like any bearer token.
 */
package dev.runnel.gateway.charts;
