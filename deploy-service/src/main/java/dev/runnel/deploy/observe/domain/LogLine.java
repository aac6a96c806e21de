package dev.runnel.deploy.observe.domain;

/** One line of a container's log, with where it came from. */
public record LogLine(String pod, String container, String line) {}
