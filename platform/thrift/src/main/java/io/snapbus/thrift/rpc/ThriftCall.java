package io.snapbus.thrift.rpc;

import org.apache.thrift.TException;

/**
 * One RPC made with a pooled client, e.g. {@code client -> client.submit_tasks(tasks)}.
 *
 * @param <C> the generated client type
 * @param <R> the call's result
 */
@FunctionalInterface
public interface ThriftCall<C, R> {
    R call(C client) throws TException;
}
