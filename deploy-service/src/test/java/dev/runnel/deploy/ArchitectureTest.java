package dev.runnel.deploy;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The shape STYLE.md asks for, kept by a test rather than by memory. */
class ArchitectureTest {
  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.runnel.deploy");

  @Test
  void theDomainKnowsNoFrameworks() {
    noClasses()
        .that()
        .resideInAPackage("..domain..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.springframework..",
            "io.r2dbc..",
            "org.apache.kafka..",
            "io.fabric8..",
            "reactor..",
            "dev.runnel.kit..",
            "tools.jackson..",
            "com.marcnuri..")
        .check(CLASSES);
  }

  @Test
  void applicationCodeDoesNotReachIntoAdapters() {
    noClasses()
        .that()
        .resideInAnyPackage("..domain..", "..application..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("..adapter..")
        .check(CLASSES);
  }

  @Test
  void kubernetesAndHelmStayInAdapters() {
    noClasses()
        .that()
        .resideInAnyPackage("..domain..", "..application..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.fabric8..", "com.marcnuri..")
        .check(CLASSES);
  }

  @Test
  void adaptersAreNotPublic() {
    classes()
        .that()
        .resideInAPackage("..adapter..")
        .and()
        .areTopLevelClasses()
        .should()
        .notBePublic()
        .check(CLASSES);
  }
}
