package dev.runnel.sandbox.apply;

import java.util.HashSet;
import java.util.Set;

/**
 * Hands out cluster IPs from K3s's service range 10.43.0.0/16 and node ports from 30000-32767.
 * Addresses are not reused after a Service is deleted: 65k services outlast any benchmark, and
 * never reusing keeps two objects from ever reporting the same address.
 */
public final class ServiceAddresses {

  /** 10.43.0.1 is the {@code kubernetes} Service and 10.43.0.10 is kube-dns, as in K3s. */
  public static final String API_SERVER_IP = "10.43.0.1";

  public static final String DNS_IP = "10.43.0.10";

  private final Set<String> taken = new HashSet<>(Set.of(API_SERVER_IP, DNS_IP));
  private final Set<Integer> takenPorts = new HashSet<>();
  private int next = 2;
  private int nextPort = 30000;

  public synchronized String allocate() {
    while (next < 65535) {
      String ip = "10.43." + (next / 256) + "." + (next % 256);
      next++;
      if (next % 256 != 0 && !ip.endsWith(".0") && taken.add(ip)) {
        return ip;
      }
    }
    throw new IllegalStateException("service IP range 10.43.0.0/16 is exhausted");
  }

  public synchronized void reserve(String ip) {
    taken.add(ip);
  }

  public synchronized int allocateNodePort() {
    while (nextPort <= 32767) {
      int port = nextPort++;
      if (takenPorts.add(port)) {
        return port;
      }
    }
    throw new IllegalStateException("node port range 30000-32767 is exhausted");
  }

  public synchronized void reserveNodePort(int port) {
    takenPorts.add(port);
  }
}
