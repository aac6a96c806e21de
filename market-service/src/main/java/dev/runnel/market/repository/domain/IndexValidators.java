package dev.runnel.market.repository.domain;

/**
 * The HTTP validators a repository's server sent with the index the catalog was last built from:
 * sent back as {@code If-None-Match} / {@code If-Modified-Since}, they let the server answer {@code
 * 304 Not Modified} instead of the whole index. Either may be null (servers send one, both or
 * neither).
 */
public record IndexValidators(String etag, String lastModified) {
  public static final IndexValidators NONE = new IndexValidators(null, null);

  public IndexValidators {
    etag = blankToNull(etag);
    lastModified = blankToNull(lastModified);
  }

  /** True when there is something to make a request conditional with. */
  public boolean present() {
    return etag != null || lastModified != null;
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
