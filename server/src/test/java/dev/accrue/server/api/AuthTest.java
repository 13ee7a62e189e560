package dev.accrue.server.api;

import dev.accrue.server.support.Api;
import dev.accrue.server.support.Fixtures;
import dev.accrue.server.support.TestNode;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AuthTest {

    @Test
    void requestsWithoutAValidKeyAreUnauthenticated() {
        Api api = TestNode.get().newTenant("auth").api();
        var none = api.anonymous().get("/v1/customers");
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.code()).isEqualTo("unauthenticated");
        assertThat(none.header("WWW-Authenticate")).isEqualTo("Bearer");
        assertThat(api.withKey("sk_test_" + "0".repeat(32)).get("/v1/customers").code()).isEqualTo("unauthenticated");
        assertThat(api.withKey("garbage").get("/v1/customers").code()).isEqualTo("unauthenticated");
    }

    @Test
    void aCreatedKeyIsShownOnceAndWorksUntilRevoked() {
        Api admin = TestNode.get().newTenant("keys").api();
        var created = admin.post("/v1/api_keys", Map.of("name", "billing robot"));
        assertThat(created.status()).isEqualTo(201);
        String secret = created.text("secret");
        assertThat(secret).startsWith("sk_test_").hasSize(40);
        String id = created.text("id");
        assertThat(admin.get("/v1/api_keys/" + id).json().has("secret")).isFalse();
        assertThat(admin.get("/v1/api_keys").body()).doesNotContain(secret);

        Api robot = admin.withKey(secret);
        assertThat(robot.get("/v1/customers").status()).isEqualTo(200);
        var revoked = admin.post("/v1/api_keys/" + id + "/revoke", null);
        assertThat(revoked.text("revoked_at")).isNotNull();
        var refused = robot.get("/v1/customers");
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.code()).isEqualTo("api_key_revoked");
        assertThat(admin.post("/v1/api_keys/" + id + "/revoke", null).text("revoked_at")).isEqualTo(revoked.text("revoked_at"));
    }

    @Test
    void liveTenantsGetLiveKeys() {
        Api live = TestNode.get().newTenant("live", dev.accrue.core.tenant.TenantMode.LIVE).api();
        assertThat(live.post("/v1/api_keys", Map.of()).text("secret")).startsWith("sk_live_");
        assertThat(live.get("/v1/tenant").text("mode")).isEqualTo("live");
    }

    @Test
    void aReadOnlyKeyReadsButCannotChangeAnything() {
        var tenant = TestNode.get().newTenant("read only");
        String id = tenant.api().post("/v1/customers", Fixtures.customer()).text("id");
        Api reader = tenant.readOnlyApi();
        assertThat(reader.get("/v1/customers/" + id).status()).isEqualTo(200);
        assertThat(reader.post("/v1/customers", Fixtures.customer()).code()).isEqualTo("forbidden");
        assertThat(reader.patch("/v1/customers/" + id, Map.of("legal_name", "x")).code()).isEqualTo("forbidden");
        assertThat(reader.delete("/v1/customers/" + id).code()).isEqualTo("forbidden");
        assertThat(reader.post("/v1/api_keys", Map.of("role", "admin")).code()).isEqualTo("forbidden");
        assertThat(tenant.api().get("/v1/customers").json().get("data")).hasSize(1);
        assertThat(tenant.api().get("/v1/customers/" + id).text("legal_name")).isEqualTo("Brightside Dental LLC");
    }

    @Test
    void anInvalidRoleIsRefused() {
        Api admin = TestNode.get().newTenant("roles").api();
        var response = admin.post("/v1/api_keys", Map.of("role", "superuser"));
        assertThat(response.code()).isEqualTo("validation_failed");
        assertThat(response.text("field")).isEqualTo("role");
    }
}
