package dev.authsome.vault.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.authsome.core.AuthsomeException;
import dev.authsome.core.ErrorCode;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PostgresUrlTest {

  @Test
  void psqlUri_becomesAJdbcUrl_withTheUserApart_andTlsParametersPassedThrough() {
    PostgresUrl url = PostgresUrl.parse("postgresql://vault_rw@db.example.com:6432/authsome?sslmode=verify-full"
        + "&sslrootcert=/etc/ssl/ca.pem&connect_timeout=3", "test");

    assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example.com:6432/authsome?sslmode=verify-full"
        + "&sslrootcert=/etc/ssl/ca.pem&connectTimeout=3");
    assertThat(url.user()).contains("vault_rw");
    assertThat(url.display()).isEqualTo("db.example.com:6432/authsome");
  }

  @Test
  void defaults_areLocalhost5432_andTheUserNameAsDatabase() {
    PostgresUrl url = PostgresUrl.parse("postgres://alice@", "test");

    assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost/alice");
    assertThat(url.hostPort()).isEqualTo("localhost:5432");
    assertThat(PostgresUrl.parse("postgresql://[::1]/db", "t").hostPort()).isEqualTo("[::1]:5432");
    assertThat(PostgresUrl.parse("postgresql://[::1]:5433/db", "t").hostPort()).isEqualTo("[::1]:5433");
  }

  @Test
  void jdbcUrl_isAccepted_withItsUserParameter() {
    PostgresUrl url = PostgresUrl.parse("jdbc:postgresql://10.0.0.5/vault?user=svc&sslmode=require", "test");

    assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://10.0.0.5/vault?sslmode=require");
    assertThat(url.user()).isEqualTo(Optional.of("svc"));
  }

  @Test
  void password_inAnyPartOfTheUrl_isRefusedWithoutRepeatingIt() {
    for (String url : new String[] {"postgresql://u:hunter2@h/db", "jdbc:postgresql://h/db?password=hunter2",
        "postgresql://h/db?user=u&password=hunter2", "jdbc:postgresql://h/db?sslpassword=hunter2"}) {
      assertThatThrownBy(() -> PostgresUrl.parse(url, "AUTHSOME_VAULT_URL"))
          .isInstanceOfSatisfying(AuthsomeException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.USAGE);
            assertThat(e.getMessage()).contains("AUTHSOME_VAULT_URL").contains("PGPASSWORD").doesNotContain("hunter2");
          });
    }
  }

  @Test
  void otherSchemes_areRefusedAsUsageErrors() {
    assertThatThrownBy(() -> PostgresUrl.parse("mysql://u@h/db", "vault.url"))
        .isInstanceOfSatisfying(AuthsomeException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.USAGE));
  }
}
