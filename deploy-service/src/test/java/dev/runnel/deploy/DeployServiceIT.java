package dev.runnel.deploy;

import dev.runnel.testkit.RunnelInfra;
import dev.runnel.testkit.RunnelTestInfra;
import dev.runnel.testkit.ServiceBaselineContract;
import dev.runnel.testkit.TestPostgres;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

@RunnelInfra
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class DeployServiceIT extends ServiceBaselineContract {
  private static final String DB = TestPostgres.get().freshDatabase("deploy");

  @Autowired WebTestClient web;

  @DynamicPropertySource
  static void infra(DynamicPropertyRegistry registry) {
    RunnelTestInfra.register(registry::add, DB);
  }

  @Override
  protected WebTestClient web() {
    // deploy-service's OpenAPI document covers many endpoints; on a busy shared machine it takes
    // longer than WebTestClient's default five seconds to generate the first time.
    return web.mutate().responseTimeout(java.time.Duration.ofSeconds(60)).build();
  }

  @Override
  protected String service() {
    return "deploy";
  }
}
