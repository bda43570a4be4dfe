package io.stratum.server.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.stratum.core.model.ApiToken;
import io.stratum.core.model.Event;
import io.stratum.core.model.Operation;
import io.stratum.core.model.Stack;
import io.stratum.core.model.Stage;
import java.time.Instant;
import java.util.List;

/** The JSON shapes of the REST API (and of the CLI's {@code -o json}); camelCase, stable. */
public final class Views {
    private Views() {}

    public record CreateStackRequest(String name) {}

    public record CreateStageRequest(String name) {}

    public record CreateTokenRequest(String name, String role, List<String> stacks) {}

    public record StackView(String name, Instant createdAt) {
        static StackView of(Stack s) {
            return new StackView(s.name(), s.createdAt());
        }
    }

    public record StageView(String stack, String name, String address, Instant createdAt) {
        static StageView of(Stage s) {
            return new StageView(s.stack(), s.name(), s.address(), s.createdAt());
        }
    }

    /** An operation; {@code backup} names the backup it takes (restore --into: the pre-restore snapshot) or restores from. */
    public record OperationView(String id, String type, String resource, String state, double progress, String step,
                                String detail, String error, Instant createdAt, Instant updatedAt,
                                @JsonInclude(JsonInclude.Include.NON_NULL) String backup) {
        static OperationView of(Operation o) {
            return new OperationView(o.id(), o.type().wireName(), o.resource(), o.state().wireName(), o.progress(), o.step(), o.detail(),
                    o.error(), o.createdAt(), o.updatedAt(), o.input().backup().orElse(null));
        }
    }

    public record EventView(long id, Instant time, String actor, String resource, String action, String detail) {
        static EventView of(Event e) {
            return new EventView(e.id(), e.time(), e.actor(), e.resource(), e.action(), e.detail());
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TokenView(String id, String name, String role, List<String> stacks, Instant createdAt,
                            Instant revokedAt, String token) {
        static TokenView of(ApiToken t, String secret) {
            return new TokenView(t.id(), t.name(), t.role().wireName(), t.stacks().stream().sorted().toList(),
                    t.createdAt(), t.revokedAt(), secret);
        }
    }

    public record Health(String status) {}

    public record EnvView(java.util.Map<String, String> variables) {}

    public record CaView(String pem) {}

    public record QuotaBody(Integer instances, Integer storage, Integer operations) {}

    /** A stack's quota and use. */
    public record QuotaView(String stack, int maxInstances, int instances, int maxStorageGiB, long storageGiB, int maxOperations) {
        static QuotaView of(io.stratum.core.service.QuotaService.Usage u) {
            return new QuotaView(u.quota().stack(), u.quota().maxInstances(), u.instances(), u.quota().maxStorageGiB(), u.storageGiB(),
                    u.quota().maxOperations());
        }
    }
}
