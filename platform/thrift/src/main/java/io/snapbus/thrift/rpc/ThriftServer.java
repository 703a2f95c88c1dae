package io.snapbus.thrift.rpc;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.thrift.TBaseProcessor;
import org.apache.thrift.TProcessor;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.server.TThreadPoolServer;
import org.apache.thrift.transport.TServerSocket;
import org.apache.thrift.transport.TTransportException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one {@link TProcessor} on a TCP port with Doris's wire format (plain TSocket + TBinaryProtocol,
 * unframed) and a bounded thread-per-connection worker pool.
 *
 * <p>Lifecycle: {@link #start()} returns once the port is bound and accepting; {@link #stop()} (or
 * {@link #close()}) closes the port and every client connection and waits for the workers. A server is
 * started at most once.
 */
public final class ThriftServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ThriftServer.class);
    private static final long START_TIMEOUT_MILLIS = 10_000;

    private final String name;
    private final ThriftServerConfig config;
    private final TProcessor processor;
    private final ConnectionTracker connections = new ConnectionTracker();

    private TServerSocket serverSocket;
    private TThreadPoolServer server;
    private Thread acceptor;
    private volatile int port;
    private volatile State state = State.NEW;

    private enum State { NEW, RUNNING, STOPPED }

    /**
     * @param name what is served, for thread names and logs (e.g. {@code storage-node-1 BackendService})
     */
    public ThriftServer(String name, ThriftServerConfig config, TProcessor processor) {
        this.name = Objects.requireNonNull(name, "name");
        this.config = Objects.requireNonNull(config, "config");
        this.processor = Objects.requireNonNull(processor, "processor");
    }

    /**
     * A server for one or more generated processors (e.g. {@code new BackendService.Processor<>(handler)}
     * and {@code new HeartbeatService.Processor<>(handler)}); several are merged onto the one port by
     * method name, see {@link MergedProcessor}.
     */
    public static ThriftServer serving(String name, ThriftServerConfig config, TBaseProcessor<?>... processors) {
        TProcessor processor = processors.length == 1 ? processors[0] : new MergedProcessor(List.of(processors));
        return new ThriftServer(name, config, processor);
    }

    /**
     * Binds the port and starts accepting; returns once the server is listening.
     *
     * @return this, for {@code try (var server = ThriftServer.serving(...).start())}
     * @throws TTransportException if the port cannot be bound (the server is then unusable)
     */
    public synchronized ThriftServer start() throws TTransportException {
        if (state != State.NEW) {
            throw new IllegalStateException(name + " server was already started");
        }
        state = State.STOPPED; // until it is listening: a failed start is final too
        serverSocket = new TServerSocket(new TServerSocket.ServerSocketTransportArgs()
                .bindAddr(new InetSocketAddress(config.bindHost(), config.port()))
                .clientTimeout((int) config.idleConnectionTimeout().toMillis()));
        port = serverSocket.getServerSocket().getLocalPort();
        server = new TThreadPoolServer(new TThreadPoolServer.Args(serverSocket)
                .processor(processor)
                .protocolFactory(new TBinaryProtocol.Factory())
                .executorService(workers())
                .stopTimeoutVal((int) Math.min(Integer.MAX_VALUE, config.stopTimeout().toMillis()))
                .stopTimeoutUnit(TimeUnit.MILLISECONDS));
        server.setServerEventHandler(connections);
        acceptor = new Thread(server::serve, "thrift-" + name + "-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
        awaitServing();
        state = State.RUNNING;
        log.info("{} listening on {}", name, endpoint());
        return this;
    }

    /** The bound port: the configured one, or the one picked when configured as 0. */
    public int port() {
        if (state == State.NEW) {
            throw new IllegalStateException(name + " server is not started");
        }
        return port;
    }

    /**
     * Where clients on this machine reach the server: the bind host and the bound port. When binding a
     * wildcard address, advertise a reachable host name instead.
     */
    public ThriftEndpoint endpoint() {
        return new ThriftEndpoint(config.bindHost(), port());
    }

    public boolean isRunning() {
        return state == State.RUNNING;
    }

    /** Client connections accepted since start (for tests and metrics). */
    public long connectionsAccepted() {
        return connections.accepted();
    }

    /** Client connections open right now. */
    public int openConnections() {
        return connections.openConnections();
    }

    /**
     * Stops accepting, ends every client connection and waits up to the configured stop timeout for the
     * workers; connections still open after that are closed hard. Running handlers are interrupted (by
     * TThreadPoolServer); one that finishes anyway within the timeout still gets its answer out. Idempotent.
     */
    public synchronized void stop() {
        if (state != State.RUNNING) {
            state = State.STOPPED;
            return;
        }
        state = State.STOPPED;
        server.stop();
        long deadline = System.nanoTime() + config.stopTimeout().toNanos() + TimeUnit.SECONDS.toNanos(1);
        try {
            // Repeating covers a connection accepted just before the listening socket closed.
            while (acceptor.isAlive() && System.nanoTime() < deadline) {
                server.stop();
                connections.endAll(false);
                acceptor.join(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        connections.endAll(true);
        serverSocket.close();
        if (acceptor.isAlive()) {
            log.warn("{} on port {}: workers still running after {}", name, port, config.stopTimeout());
        } else {
            log.info("{} on port {} stopped", name, port);
        }
    }

    @Override
    public void close() {
        stop();
    }

    private ExecutorService workers() {
        AtomicInteger count = new AtomicInteger();
        // A SynchronousQueue hands each connection straight to a thread; when all max threads are busy,
        // TThreadPoolServer closes the new connection rather than queueing it behind long-lived ones.
        return new ThreadPoolExecutor(
                config.minWorkerThreads(),
                config.maxWorkerThreads(),
                60,
                TimeUnit.SECONDS,
                new SynchronousQueue<>(),
                runnable -> {
                    Thread thread = new Thread(runnable, "thrift-" + name + "-worker-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
    }

    private void awaitServing() throws TTransportException {
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MILLIS;
        try {
            // TThreadPoolServer fires preServe (the latch) before it resets its stop flag and marks itself
            // serving; a stop() in between would be undone. So wait for isServing(), which comes last.
            while (!connections.servingLatch().await(5, TimeUnit.MILLISECONDS) || !server.isServing()) {
                if (!acceptor.isAlive() || System.currentTimeMillis() > deadline) {
                    server.stop();
                    serverSocket.close();
                    throw new TTransportException(name + " server on " + config.bindHost() + ":" + port
                            + " did not start listening");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.stop();
            serverSocket.close();
            throw new TTransportException(name + " server start was interrupted", e);
        }
    }
}
