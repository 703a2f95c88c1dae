package io.snapbus.api.catalog;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** ALTER SYSTEM ADD BACKEND: the node's host, its Thrift port and (optional, 0 for none) HTTP port. */
public record AddBackendRequest(
        @NotNull(message = "a backend needs a host")
        @Size(max = 255, message = "a host has at most 255 characters") String host,
        @NotNull(message = "a backend needs bePort")
        @Min(value = 1, message = "a port is 1..65535") @Max(value = 65535, message = "a port is 1..65535")
        Integer bePort,
        @Min(value = 0, message = "a port is 0..65535") @Max(value = 65535, message = "a port is 0..65535")
        Integer httpPort) {}
