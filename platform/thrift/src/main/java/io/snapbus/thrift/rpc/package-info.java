/**
 * Thrift plumbing for the Doris agent protocol: a pooled client with timeouts ({@link
 * io.snapbus.thrift.rpc.ThriftClientPool}) and a threaded server bootstrap ({@link
 * io.snapbus.thrift.rpc.ThriftServer}) that can serve several Doris services on one port ({@link
 * io.snapbus.thrift.rpc.MergedProcessor}).
 *
 * <p>The transport is Doris's: plain (unframed) {@code TSocket} with {@code TBinaryProtocol}. The generated
 * service and struct classes live in {@code io.snapbus.thrift} (module snapbus-schemas).
 */
package io.snapbus.thrift.rpc;
