/** The services' OpenAPI documents through the gateway, and Swagger UI at {@code /api/docs}. */
package dev.runnel.gateway.docs;
