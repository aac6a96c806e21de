/** How large a request body the gateway lets through, per path. */
package dev.runnel.gateway.limits;
