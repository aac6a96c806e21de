package dev.runnel.sandbox;

import dev.runnel.sandbox.apply.Admission;
import dev.runnel.sandbox.apply.ScaleHandler;
import dev.runnel.sandbox.apply.ServiceAddresses;
import dev.runnel.sandbox.apply.WriteHandler;
import dev.runnel.sandbox.controllers.Controller;
import dev.runnel.sandbox.controllers.ControllerManager;
import dev.runnel.sandbox.controllers.Controllers;
import dev.runnel.sandbox.controllers.EventExpiry;
import dev.runnel.sandbox.controllers.EventRecorder;
import dev.runnel.sandbox.discovery.ApiCatalog;
import dev.runnel.sandbox.discovery.DiscoveryHandler;
import dev.runnel.sandbox.faults.Faults;
import dev.runnel.sandbox.metrics.LogHandler;
import dev.runnel.sandbox.metrics.LogStreamRoute;
import dev.runnel.sandbox.metrics.MetricsHandler;
import dev.runnel.sandbox.nodes.SimulatedNodes;
import dev.runnel.sandbox.server.EvictionHandler;
import dev.runnel.sandbox.server.NamespaceDeletion;
import dev.runnel.sandbox.server.QuietLogging;
import dev.runnel.sandbox.server.RouteHandler;
import dev.runnel.sandbox.server.SandboxCrudDispatcher;
import dev.runnel.sandbox.server.SandboxDispatcher;
import dev.runnel.sandbox.server.SandboxWebServer;
import dev.runnel.sandbox.server.Store;
import dev.runnel.sandbox.server.StreamingWatchHandler;
import dev.runnel.sandbox.server.TableHandler;
import dev.runnel.sandbox.server.VersionHandler;
import dev.runnel.sandbox.server.WatchHub;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClassBuilder;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A simulated Kubernetes cluster in this JVM: fabric8's mock API server in CRUD mode, extended with
 * discovery, apply, admission, simulated nodes and controllers. It says that it is simulated: nodes
 * carry {@code runnel.dev/simulated=true}, the ConfigMap {@code kube-system/runnel-sandbox} says
 * so, and {@code /version} reports {@code gitTreeState: simulated}.
 *
 * <pre>{@code
 * try (KubeSandbox sandbox = KubeSandbox.start(SandboxOptions.defaults())) {
 *   KubernetesClient client = sandbox.client();
 * }
 * }</pre>
 */
public final class KubeSandbox implements AutoCloseable {

  /** Name of the kube-system ConfigMap that marks the cluster as simulated. */
  public static final String MARKER_CONFIG_MAP = "runnel-sandbox";

  private final SandboxOptions options;
  private final KubernetesMockServer server;
  private final KubernetesClient client;
  private final KubernetesClient controllerClient;
  private final ControllerManager controllers;
  private final SimulatedClock clock;
  private final SimulatedNodes nodes;
  private final Faults faults;
  private final String baseUrl;

  private KubeSandbox(
      SandboxOptions options,
      KubernetesMockServer server,
      KubernetesClient client,
      KubernetesClient controllerClient,
      ControllerManager controllers,
      SimulatedClock clock,
      SimulatedNodes nodes,
      Faults faults,
      String baseUrl) {
    this.options = options;
    this.server = server;
    this.client = client;
    this.controllerClient = controllerClient;
    this.controllers = controllers;
    this.clock = clock;
    this.nodes = nodes;
    this.faults = faults;
    this.baseUrl = baseUrl;
  }

  /** Starts the API server, registers the nodes and starts the controllers. */
  public static KubeSandbox start(SandboxOptions options) {
    QuietLogging.apply();
    SimulatedClock clock = new SimulatedClock();
    SandboxCrudDispatcher crud = new SandboxCrudDispatcher(new WatchHub(), clock::now);
    Store store = new Store(crud);
    ApiCatalog catalog = new ApiCatalog(store);
    AtomicReference<ControllerManager> controllerRef = new AtomicReference<>();
    Runnable wake =
        () -> {
          ControllerManager manager = controllerRef.get();
          if (manager != null) {
            manager.wake();
          }
        };
    Faults faults = new Faults(wake);
    AtomicReference<String> address = new AtomicReference<>("");
    List<RouteHandler> handlers = new ArrayList<>();
    handlers.add(new VersionHandler(options.kubernetesVersion()));
    handlers.add(new DiscoveryHandler(catalog, address::get));
    handlers.add(new MetricsHandler(store, clock));
    LogHandler logs = new LogHandler(store, clock);
    handlers.add(logs);
    handlers.add(new EvictionHandler(store));
    handlers.add(new StreamingWatchHandler(store));
    handlers.add(new TableHandler(store, clock));
    handlers.add(new NamespaceDeletion(store, catalog));
    handlers.add(new ScaleHandler(store));
    handlers.add(new WriteHandler(store, new Admission(new ServiceAddresses()), catalog));
    SandboxDispatcher dispatcher = new SandboxDispatcher(store, handlers, wake);
    MockWebServer web = new SandboxWebServer(List.of(new LogStreamRoute(logs, dispatcher)));
    KubernetesMockServer server =
        new KubernetesMockServer(
            new Context(Serialization.jsonMapper()), web, new HashMap<>(), dispatcher, false);
    try {
      server.init(InetAddress.getByName(options.host()), options.port());
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("unknown host " + options.host(), e);
    }
    String baseUrl = "http://" + hostForUrl(options.host()) + ":" + server.getPort();
    address.set(hostForUrl(options.host()) + ":" + server.getPort());
    KubernetesClient client = newClient(baseUrl);
    KubernetesClient controllerClient = newClient(baseUrl);
    EventRecorder events = new EventRecorder(controllerClient, clock);
    List<Controller> stages = new ArrayList<>(Controllers.all());
    stages.add(new EventExpiry(crud, options.eventTtl()));
    ControllerManager manager =
        new ControllerManager(
            controllerClient,
            crud::storedJson,
            clock,
            events,
            faults,
            options.podReadyDelay(),
            stages);
    SimulatedNodes nodes = new SimulatedNodes(controllerClient, clock, options.kubernetesVersion());
    KubeSandbox sandbox =
        new KubeSandbox(
            options, server, client, controllerClient, manager, clock, nodes, faults, baseUrl);
    sandbox.bootstrap();
    controllerRef.set(manager);
    manager.start();
    return sandbox;
  }

  private static String hostForUrl(String host) {
    return host.contains(":") ? "[" + host + "]" : host;
  }

  private static KubernetesClient newClient(String baseUrl) {
    Config config =
        new ConfigBuilder(Config.empty())
            .withMasterUrl(baseUrl)
            .withNamespace("default")
            .withOauthToken(Kubeconfig.TOKEN)
            .withRequestRetryBackoffLimit(0)
            .build();
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  /** What a fresh K3s server has before anyone deploys anything. */
  private void bootstrap() {
    for (String ns : List.of("default", "kube-system", "kube-public", "kube-node-lease")) {
      controllerClient
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
          .create();
    }
    controllerClient
        .configMaps()
        .inNamespace("kube-system")
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName(MARKER_CONFIG_MAP)
                .withNamespace("kube-system")
                .addToLabels("runnel.dev/simulated", "true")
                .endMetadata()
                .addToData("simulated", "true")
                .addToData("kubernetesVersion", options.kubernetesVersion())
                .addToData("nodes", String.valueOf(options.nodes()))
                .addToData("podReadyDelay", options.podReadyDelay().toString())
                .build())
        .create();
    controllerClient
        .services()
        .inNamespace("default")
        .resource(
            new ServiceBuilder()
                .withNewMetadata()
                .withName("kubernetes")
                .withNamespace("default")
                .addToLabels("component", "apiserver")
                .addToLabels("provider", "kubernetes")
                .endMetadata()
                .withNewSpec()
                .withClusterIP(ServiceAddresses.API_SERVER_IP)
                .addNewPort()
                .withName("https")
                .withPort(443)
                .withNewTargetPort(6443)
                .withProtocol("TCP")
                .endPort()
                .endSpec()
                .build())
        .create();
    controllerClient
        .services()
        .inNamespace("kube-system")
        .resource(
            new ServiceBuilder()
                .withNewMetadata()
                .withName("kube-dns")
                .withNamespace("kube-system")
                .addToLabels("k8s-app", "kube-dns")
                .endMetadata()
                .withNewSpec()
                .withClusterIP(ServiceAddresses.DNS_IP)
                .addToSelector("k8s-app", "kube-dns")
                .addNewPort()
                .withName("dns")
                .withPort(53)
                .withProtocol("UDP")
                .endPort()
                .endSpec()
                .build())
        .create();
    controllerClient
        .storage()
        .v1()
        .storageClasses()
        .resource(
            new StorageClassBuilder()
                .withNewMetadata()
                .withName("local-path")
                .addToAnnotations("storageclass.kubernetes.io/is-default-class", "true")
                .endMetadata()
                .withProvisioner("rancher.io/local-path")
                .withReclaimPolicy("Delete")
                .withVolumeBindingMode("WaitForFirstConsumer")
                .build())
        .create();
    controllerClient
        .network()
        .v1()
        .ingressClasses()
        .resource(
            new IngressClassBuilder()
                .withNewMetadata()
                .withName("traefik")
                .addToAnnotations("ingressclass.kubernetes.io/is-default-class", "true")
                .endMetadata()
                .withNewSpec()
                .withController("traefik.io/ingress-controller")
                .endSpec()
                .build())
        .create();
    for (int i = 0; i < options.nodes(); i++) {
      nodes.add("sandbox-node-" + i, options.nodeCapacity());
    }
  }

  /** A client for the sandbox, default namespace {@code default}. */
  public KubernetesClient client() {
    return client;
  }

  /**
   * Controller passes finished since start: how many rounds of the simulated control plane a change
   * took, a measure that does not depend on how fast the machine is.
   */
  public long controllerPasses() {
    return controllers.passes();
  }

  /** {@code http://127.0.0.1:<port>}; plain HTTP, any bearer token is accepted. */
  public String baseUrl() {
    return baseUrl;
  }

  public int port() {
    return server.getPort();
  }

  public String kubeconfig() {
    return Kubeconfig.render(baseUrl, "default");
  }

  public Path writeKubeconfig(Path file) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      return Files.writeString(file, kubeconfig());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write kubeconfig to " + file, e);
    }
  }

  public SandboxOptions options() {
    return options;
  }

  public SimulatedNodes nodes() {
    return nodes;
  }

  public Faults faults() {
    return faults;
  }

  public SimulatedClock clock() {
    return clock;
  }

  /** Moves simulated time forward (CronJobs, back-off) and runs the controllers at once. */
  public void advanceClock(java.time.Duration by) {
    clock.advance(by);
    controllers.wake();
  }

  @Override
  public void close() {
    controllers.close();
    client.close();
    controllerClient.close();
    server.destroy();
  }
}
