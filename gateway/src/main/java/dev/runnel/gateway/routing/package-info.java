/**
 * Routes from {@code /api/<service>/**} to the services, built from typed configuration, and the
 * circuit breaker and time limit each route gets.
 */
package dev.runnel.gateway.routing;
