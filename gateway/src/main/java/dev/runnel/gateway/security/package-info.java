/** The gateway's own token check, in front of the services' checks. */
package dev.runnel.gateway.security;
