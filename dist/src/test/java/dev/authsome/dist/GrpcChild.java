package dev.authsome.dist;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.util.Iterator;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A grpc-java client run as a child of {@code authsome run}, configured with nothing but its defaults: it finds the
 * proxy through the JVM's proxy settings and the proxy credential through the default Authenticator, and trusts the
 * proxy's CA through the default trust store, all of which {@code JAVA_TOOL_OPTIONS} sets. Prints one line per call.
 */
public final class GrpcChild {
  private GrpcChild() {
  }

  public static void main(String[] args) throws Exception {
    String host = args[0];
    ManagedChannel channel = NettyChannelBuilder.forTarget(host + ":443").build();
    try {
      System.out.println("UNARY " + ClientCalls.blockingUnaryCall(channel, GrpcEcho.UNARY, CallOptions.DEFAULT,
          "hi"));
      Iterator<String> stream = ClientCalls.blockingServerStreamingCall(channel, GrpcEcho.SERVER_STREAM,
          CallOptions.DEFAULT, "go");
      String first = stream.next();
      long firstAt = System.nanoTime();
      StringBuilder rest = new StringBuilder();
      stream.forEachRemaining(rest::append);
      System.out.println("SERVER_STREAM " + first + "," + rest + " gap_ms="
          + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - firstAt));
      LinkedBlockingQueue<String> joined = new LinkedBlockingQueue<>();
      StreamObserver<String> up = ClientCalls.asyncClientStreamingCall(channel.newCall(GrpcEcho.CLIENT_STREAM,
          CallOptions.DEFAULT), into(joined));
      up.onNext("a");
      up.onNext("b");
      up.onCompleted();
      System.out.println("CLIENT_STREAM " + joined.poll(30, TimeUnit.SECONDS));
      LinkedBlockingQueue<String> echoed = new LinkedBlockingQueue<>();
      StreamObserver<String> both = ClientCalls.asyncBidiStreamingCall(channel.newCall(GrpcEcho.BIDI,
          CallOptions.DEFAULT), into(echoed));
      both.onNext("one");
      String one = echoed.poll(30, TimeUnit.SECONDS);
      both.onNext("two");
      String two = echoed.poll(30, TimeUnit.SECONDS);
      both.onCompleted();
      System.out.println("BIDI " + one + "," + two);
      try {
        ClientCalls.blockingUnaryCall(channel, GrpcEcho.REFUSE, CallOptions.DEFAULT, "x");
        System.out.println("REFUSE no error");
      } catch (StatusRuntimeException e) {
        System.out.println("REFUSE " + e.getStatus().getCode() + " " + e.getStatus().getDescription());
      }
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private static StreamObserver<String> into(LinkedBlockingQueue<String> queue) {
    return new StreamObserver<>() {
      @Override
      public void onNext(String value) {
        queue.add(value);
      }

      @Override
      public void onError(Throwable t) {
        queue.add("error: " + t);
      }

      @Override
      public void onCompleted() {
      }
    };
  }

  static MethodDescriptor<String, String> method(String name, MethodDescriptor.MethodType type) {
    return GrpcEcho.method(name, type);
  }
}
