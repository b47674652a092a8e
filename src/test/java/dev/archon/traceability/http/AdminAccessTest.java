package dev.archon.traceability.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.archon.traceability.errors.ErrorCode;
import dev.archon.traceability.errors.Problem;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AdminAccessTest {

    private final AdminAccess open = new AdminAccess(Optional.empty());
    private final AdminAccess tokened = new AdminAccess(Optional.of("s3cret"));

    @Test
    void withoutATokenOnlyLoopbackIsAllowed() {
        assertThat(open.check(null, "127.0.0.1")).isEmpty();
        assertThat(open.check(null, "::1")).isEmpty();
        assertThat(open.check(null, "[0:0:0:0:0:0:0:1]")).isEmpty();
        Optional<Problem> remote = open.check("Bearer whatever", "10.1.2.3");
        assertThat(remote).map(Problem::code).contains(ErrorCode.FORBIDDEN);
        assertThat(remote.get().message()).contains("only on loopback", "10.1.2.3");
        assertThat(open.check(null, null)).map(Problem::code).contains(ErrorCode.FORBIDDEN);
    }

    @Test
    void withATokenTheBearerDecidesFromAnywhere() {
        assertThat(tokened.check("Bearer s3cret", "10.1.2.3")).isEmpty();
        assertThat(tokened.check("Bearer s3cret", "127.0.0.1")).isEmpty();
        assertThat(tokened.check(null, "127.0.0.1")).map(Problem::code).contains(ErrorCode.UNAUTHORIZED);
        assertThat(tokened.check("Bearer wrong", "127.0.0.1").get().message()).contains("does not match");
        assertThat(tokened.check("s3cret", "127.0.0.1")).map(Problem::code).contains(ErrorCode.UNAUTHORIZED);
        assertThat(tokened.check(null, "10.1.2.3").get().field()).isEqualTo("Authorization");
    }

    @Test
    void theConsoleAlsoTakesItsLoginAsBasicWhileATokenIsSet() {
        AdminAccess console = tokened.withLogin("the console", "operator", Optional.of("pa:ss"));
        assertThat(console.acceptsLogin()).isTrue();
        assertThat(console.check(basic("operator", "pa:ss"), "10.1.2.3")).isEmpty();
        assertThat(console.check("Bearer s3cret", "10.1.2.3")).isEmpty();
        assertThat(console.check(basic("operator", "wrong"), "127.0.0.1")).map(Problem::code)
                .contains(ErrorCode.UNAUTHORIZED);
        assertThat(console.check(basic("admin", "pa:ss"), "127.0.0.1")).map(Problem::code)
                .contains(ErrorCode.UNAUTHORIZED);
        assertThat(console.check("Basic not-base64!", "127.0.0.1")).map(Problem::code)
                .contains(ErrorCode.UNAUTHORIZED);
        assertThat(console.check(null, "127.0.0.1").get().message()).contains("log in");
        // the admin endpoints do not take the login
        assertThat(tokened.check(basic("operator", "pa:ss"), "127.0.0.1")).map(Problem::code)
                .contains(ErrorCode.UNAUTHORIZED);
    }

    @Test
    void anEmptyConsolePasswordMeansTheToken() {
        AdminAccess console = tokened.withLogin("the console", "admin", Optional.empty());
        assertThat(console.check(basic("admin", "s3cret"), "10.1.2.3")).isEmpty();
        assertThat(console.check(basic("admin", ""), "10.1.2.3")).isPresent();
    }

    @Test
    void withoutATokenTheConsoleIsLoopbackOnlyAndHasNoLogin() {
        AdminAccess console = open.withLogin("the console and its Jolokia", "admin", Optional.of("pw"));
        assertThat(console.acceptsLogin()).isFalse();
        assertThat(console.check(null, "127.0.0.1")).isEmpty();
        Optional<Problem> remote = console.check(basic("admin", "pw"), "10.1.2.3");
        assertThat(remote).map(Problem::code).contains(ErrorCode.FORBIDDEN);
        assertThat(remote.get().message()).startsWith("the console and its Jolokia answer only on loopback");
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
