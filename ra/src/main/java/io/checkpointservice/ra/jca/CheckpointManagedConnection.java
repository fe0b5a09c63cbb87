package io.checkpointservice.ra.jca;

import io.checkpointservice.ra.service.CheckpointService;
import jakarta.resource.NotSupportedException;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionEvent;
import jakarta.resource.spi.ConnectionEventListener;
import jakarta.resource.spi.ConnectionRequestInfo;
import jakarta.resource.spi.IllegalStateException;
import jakarta.resource.spi.LocalTransaction;
import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.ManagedConnectionMetaData;
import java.io.PrintWriter;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.security.auth.Subject;
import javax.transaction.xa.XAResource;

/**
 * A physical connection as the application server pools it. It owns no resource of its own (the
 * node's service is shared), so its job is handle bookkeeping as JCA 2.1 chapter 6 asks: it
 * knows its handles, moves a handle to itself on {@link #associateConnection}, invalidates
 * them on {@link #cleanup}, and tells the pool when one closes.
 */
public class CheckpointManagedConnection implements ManagedConnection {

    private final CheckpointManagedConnectionFactory factory;
    private final Set<CheckpointConnectionImpl> handles = ConcurrentHashMap.newKeySet();
    private final List<ConnectionEventListener> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean destroyed;
    private PrintWriter logWriter;

    CheckpointManagedConnection(CheckpointManagedConnectionFactory factory) {
        this.factory = factory;
    }

    @Override
    public Object getConnection(Subject subject, ConnectionRequestInfo info) throws ResourceException {
        ensureNotDestroyed();
        CheckpointConnectionImpl handle = new CheckpointConnectionImpl(this, factory.resolvedNamespace());
        handles.add(handle);
        return handle;
    }

    @Override
    public void associateConnection(Object connection) throws ResourceException {
        ensureNotDestroyed();
        if (!(connection instanceof CheckpointConnectionImpl handle)) {
            throw new ResourceException("cannot associate " + connection + ": not a checkpoint connection handle");
        }
        // Registered first: a close racing this call then finds the handle here and tells our pool.
        handles.add(handle);
        CheckpointManagedConnection previous;
        try {
            previous = handle.associate(this);
        } catch (ResourceException e) {
            handles.remove(handle);
            throw e;
        }
        if (previous != null && previous != this) {
            previous.handles.remove(handle);
        }
    }

    /** Invalidates every handle: the pool is about to reuse this connection for someone else. */
    @Override
    public void cleanup() throws ResourceException {
        ensureNotDestroyed();
        invalidateHandles();
    }

    @Override
    public void destroy() {
        destroyed = true;
        invalidateHandles();
        listeners.clear();
    }

    private void invalidateHandles() {
        for (CheckpointConnectionImpl handle : handles) {
            handle.invalidate();
        }
        handles.clear();
    }

    /** Called by a handle the application closed: tells the pool it may take this connection back. */
    void handleClosed(CheckpointConnectionImpl handle) {
        if (!handles.remove(handle)) {
            return; // Already moved or invalidated: the pool was told by whoever did that.
        }
        ConnectionEvent event = new ConnectionEvent(this, ConnectionEvent.CONNECTION_CLOSED);
        event.setConnectionHandle(handle);
        for (ConnectionEventListener listener : listeners) {
            listener.connectionClosed(event);
        }
    }

    CheckpointService service() throws ResourceException {
        ensureNotDestroyed();
        return factory.service();
    }

    boolean belongsTo(CheckpointManagedConnectionFactory candidate) {
        return factory == candidate;
    }

    boolean isDestroyed() {
        return destroyed;
    }

    /** @return how many open handles point here; for tests and diagnostics */
    int handleCount() {
        return handles.size();
    }

    private void ensureNotDestroyed() throws IllegalStateException {
        if (destroyed) {
            throw new IllegalStateException("this checkpoint managed connection is destroyed");
        }
    }

    @Override
    public void addConnectionEventListener(ConnectionEventListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeConnectionEventListener(ConnectionEventListener listener) {
        listeners.remove(listener);
    }

    @Override
    public XAResource getXAResource() throws ResourceException {
        throw new NotSupportedException("checkpoints are not transactional");
    }

    @Override
    public LocalTransaction getLocalTransaction() throws ResourceException {
        throw new NotSupportedException("checkpoints are not transactional");
    }

    @Override
    public ManagedConnectionMetaData getMetaData() {
        return new CheckpointManagedConnectionMetaData();
    }

    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        this.logWriter = out;
    }
}
