package dev.archon.traceability.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.archon.traceability.errors.ErrorCode;
import dev.archon.traceability.errors.Problem;
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
}
