/**
 * Infrastructure every Runnel service shares: database and migrations, transactional outbox and
 * relay, CloudEvents, inbox, problem details, security and telemetry. No domain types live here.
 */
package dev.runnel.kit;
