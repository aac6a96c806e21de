package dev.runnel.deploy.bundle.application;

import dev.runnel.deploy.bundle.domain.Bundle;
import dev.runnel.deploy.bundle.domain.InvalidBundleException;

/** Writes and reads the {@code .tar.gz} form of a bundle. */
public interface BundleCodec {
  byte[] write(Bundle bundle);

  /**
   * Reads a bundle from untrusted bytes, refusing anything but a gzipped tar of the known entries
   * within the size limits.
   *
   * @throws InvalidBundleException naming what is wrong
   */
  Bundle read(byte[] archive);
}
