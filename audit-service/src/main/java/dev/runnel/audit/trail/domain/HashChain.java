package dev.runnel.audit.trail.domain;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * The hash chain that makes the trail tamper-evident: {@code hash = sha256(prevHash ||
 * canonical(seq, record))}, hex-encoded in lower case, where {@code prevHash} is the previous
 * entry's hash as its 64 ASCII hex characters and {@link #GENESIS} for the first entry.
 *
 * <p>The canonical bytes are, in this order: the format version (one byte, 1); seq (8-byte
 * big-endian); event id, type, source, subject, team, actor; occurred-at and received-at as
 * microseconds since the epoch (8 bytes each); trace id, topic; partition (4 bytes); offset (8
 * bytes); data. Each text is its UTF-8 length as a 4-byte big-endian integer followed by the bytes,
 * or the length -1 for null, so that no two different records share their bytes. Changing this
 * format makes every stored trail fail verification; add a new version instead.
 */
public final class HashChain {
  /** What the first entry links to: 64 zeros. */
  public static final String GENESIS = "0".repeat(64);

  private static final int FORMAT_VERSION = 1;
  private static final HexFormat HEX = HexFormat.of();

  private HashChain() {}

  /** The entry for {@code record} at {@code seq}, linked to the entry whose hash is given. */
  public static TrailEntry append(String prevHash, long seq, AuditRecord record) {
    return new TrailEntry(seq, prevHash, hash(prevHash, seq, record), record);
  }

  /** The hash an entry with these contents must carry. */
  public static String hash(String prevHash, long seq, AuditRecord record) {
    MessageDigest sha256 = sha256();
    sha256.update(prevHash.getBytes(StandardCharsets.US_ASCII));
    sha256.update(canonicalBytes(seq, record));
    return HEX.formatHex(sha256.digest());
  }

  static byte[] canonicalBytes(long seq, AuditRecord r) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256 + r.data().length());
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeByte(FORMAT_VERSION);
      out.writeLong(seq);
      text(out, r.eventId());
      text(out, r.type());
      text(out, r.source());
      text(out, r.subject());
      text(out, r.team());
      text(out, r.actor());
      out.writeLong(epochMicros(r.occurredAt()));
      out.writeLong(epochMicros(r.receivedAt()));
      text(out, r.traceId());
      text(out, r.topic());
      out.writeInt(r.partition());
      out.writeLong(r.offset());
      text(out, r.data());
    } catch (IOException e) {
      // A ByteArrayOutputStream does not fail; this keeps the signature honest.
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static void text(DataOutputStream out, String value) throws IOException {
    if (value == null) {
      out.writeInt(-1);
      return;
    }
    byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
    out.writeInt(utf8.length);
    out.write(utf8);
  }

  private static long epochMicros(Instant t) {
    return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
