/** What the caller gets when a route's service is down, slow or cut off: a 503 problem. */
package dev.runnel.gateway.fallback;
