package dev.runnel.sandbox.server;

import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * WebSocket watches, delivered on the server's event loop as each change is stored.
 *
 * <p>Why not the CRUD dispatcher's own watches: in fabric8 8.0.0 they send from a per-watch
 * executor and wait for the write, and closing a watch waits for that executor on the event loop; a
 * client that closes a watch while events are in flight (informers do) stalls the whole server for
 * 30 seconds. Here a send happens on the event loop itself, where it never waits.
 */
public final class WatchHub {

  private final Set<Stream> streams = new CopyOnWriteArraySet<>();

  /** A listener for one watch request matching {@code query}. */
  public WebSocketListener open(AttributeSet query) {
    Stream stream = new Stream(query);
    streams.add(stream);
    return stream;
  }

  /** Sends {@code {"type":..., "object":...}} to every watch whose query the object matches. */
  public void publish(String type, String objectJson, AttributeSet... attributes) {
    String event = "{\"type\":\"" + type + "\",\"object\":" + objectJson + "}";
    for (Stream stream : streams) {
      for (AttributeSet set : attributes) {
        if (set != null && set.matches(stream.query)) {
          stream.send(event);
          break;
        }
      }
    }
  }

  private final class Stream extends WebSocketListener {

    private final AttributeSet query;
    private final List<String> pending = new ArrayList<>();
    private WebSocket socket;

    Stream(AttributeSet query) {
      this.query = query;
    }

    synchronized void send(String event) {
      if (socket == null) {
        pending.add(event);
      } else {
        socket.send(event);
      }
    }

    @Override
    public synchronized void onOpen(WebSocket webSocket, Response response) {
      socket = webSocket;
      pending.forEach(webSocket::send);
      pending.clear();
    }

    @Override
    public void onClosing(WebSocket webSocket, int code, String reason) {
      streams.remove(this);
      webSocket.close(code, reason);
    }

    @Override
    public void onClosed(WebSocket webSocket, int code, String reason) {
      streams.remove(this);
    }

    @Override
    public void onFailure(WebSocket webSocket, Throwable t, Response response) {
      streams.remove(this);
    }
  }
}
