package dev.runnel.identity;

import dev.runnel.testkit.RunnelInfra;
import dev.runnel.testkit.ServiceBaselineContract;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

@RunnelInfra
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient(timeout = "PT2M")
class IdentityServiceIT extends ServiceBaselineContract {
  @Autowired WebTestClient web;

  @DynamicPropertySource
  static void infra(DynamicPropertyRegistry registry) {
    IdentityStack.register(registry);
  }

  @Override
  protected WebTestClient web() {
    return web;
  }

  @Override
  protected String service() {
    return "identity";
  }
}
