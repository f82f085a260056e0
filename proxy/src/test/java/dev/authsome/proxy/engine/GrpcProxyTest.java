package dev.authsome.proxy.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.authsome.core.LoginRequest;
import dev.authsome.proxy.ProxyOptions;
import dev.authsome.proxy.tls.CertificateAuthority;
import dev.authsome.proxy.tls.IssuedCertificate;
import dev.authsome.proxy.tls.Pem;
import io.grpc.CallOptions;
import io.grpc.HttpConnectProxiedSocketAddress;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * gRPC through the proxy with grpc-java on both ends (client and server over TLS, the client going through the
 * proxy by HTTP CONNECT with the proxy credential): the four call types, the credential as {@code authorization}
 * metadata at the server, {@code grpc-status}/{@code grpc-message} trailers intact, and a streamed message reaching
 * the client before its stream ends.
 */
class GrpcProxyTest extends ProxyTestBase {
  static final String GRPC = "grpc.proxytest.test";
  static final MethodDescriptor.Marshaller<String> TEXT = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(String value) {
      return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String parse(InputStream stream) {
      try {
        return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  };
  static final MethodDescriptor<String, String> UNARY = method("Unary", MethodDescriptor.MethodType.UNARY);
  static final MethodDescriptor<String, String> SERVER_STREAM = method("ServerStream",
      MethodDescriptor.MethodType.SERVER_STREAMING);
  static final MethodDescriptor<String, String> CLIENT_STREAM = method("ClientStream",
      MethodDescriptor.MethodType.CLIENT_STREAMING);
  static final MethodDescriptor<String, String> BIDI = method("Bidi", MethodDescriptor.MethodType.BIDI_STREAMING);
  static final MethodDescriptor<String, String> REFUSE = method("Refuse", MethodDescriptor.MethodType.UNARY);

  final List<String> seenAuthorization = new CopyOnWriteArrayList<>();
  Server server;
  ManagedChannel channel;
  final java.util.concurrent.CountDownLatch firstReceived = new java.util.concurrent.CountDownLatch(1);

  static MethodDescriptor<String, String> method(String name, MethodDescriptor.MethodType type) {
    return MethodDescriptor.<String, String>newBuilder().setType(type)
        .setFullMethodName(MethodDescriptor.generateFullMethodName("test.Echo", name))
        .setRequestMarshaller(TEXT).setResponseMarshaller(TEXT).build();
  }

  @BeforeEach
  void startGrpc() throws Exception {
    CertificateAuthority ca = CertificateAuthority.ephemeral(new TreeSet<>(List.of(GRPC)), Clock.systemUTC());
    IssuedCertificate leaf = ca.issue(GRPC);
    Path chain = dir.resolve("grpc-chain.pem");
    Path key = dir.resolve("grpc-key.pem");
    Files.writeString(chain, Pem.encode(leaf.chain()));
    Files.writeString(key, "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'})
        .encodeToString(leaf.key().getEncoded()) + "\n-----END PRIVATE KEY-----\n");
    Path grpcCa = dir.resolve("grpc-ca.pem");
    Files.writeString(grpcCa, Pem.encode(ca.rootCertificate()));

    ServerServiceDefinition service = ServerServiceDefinition.builder("test.Echo")
        .addMethod(UNARY, ServerCalls.asyncUnaryCall((String req, StreamObserver<String> out) -> {
          out.onNext("unary:" + req);
          out.onCompleted();
        }))
        .addMethod(SERVER_STREAM, ServerCalls.asyncServerStreamingCall((String req, StreamObserver<String> out) -> {
          out.onNext("first");
          // the second message waits until the client has the first (or 20 s): a proxy that held the stream back
          // until its end would make the client wait the whole 20 s for the first
          awaitQuietly(firstReceived);
          out.onNext("second");
          out.onCompleted();
        }))
        .addMethod(CLIENT_STREAM, ServerCalls.asyncClientStreamingCall(out -> new StreamObserver<String>() {
          final StringBuilder all = new StringBuilder();

          @Override
          public void onNext(String value) {
            all.append(value);
          }

          @Override
          public void onError(Throwable t) {
          }

          @Override
          public void onCompleted() {
            out.onNext("joined:" + all);
            out.onCompleted();
          }
        }))
        .addMethod(BIDI, ServerCalls.asyncBidiStreamingCall(out -> new StreamObserver<String>() {
          @Override
          public void onNext(String value) {
            out.onNext("bidi:" + value);
          }

          @Override
          public void onError(Throwable t) {
          }

          @Override
          public void onCompleted() {
            out.onCompleted();
          }
        }))
        .addMethod(REFUSE, ServerCalls.asyncUnaryCall((String req, StreamObserver<String> out) ->
            out.onError(Status.PERMISSION_DENIED.withDescription("not for you: " + req).asRuntimeException())))
        .build();
    ServerInterceptor capture = new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
          ServerCallHandler<Q, R> next) {
        seenAuthorization.add(String.valueOf(headers.get(Metadata.Key.of("authorization",
            Metadata.ASCII_STRING_MARSHALLER))));
        return next.startCall(call, headers);
      }
    };
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .sslContext(GrpcSslContexts.forServer(chain.toFile(), key.toFile()).build())
        .addService(ServerInterceptors.intercept(service, capture)).build().start();

    authsome.login(LoginRequest.of("grpctest"));
    Path trust = dir.resolve("grpc-trust.pem");
    Files.writeString(trust, Files.readString(routed.caFile) + Files.readString(grpcCa));
    proxy = ProxyEngine.start(authsome, ProxyOptions.defaults().withUpstreamCaFile(Optional.of(trust))
        .withResolve(Map.of(GRPC + ":443", new InetSocketAddress("127.0.0.1", server.getPort()))), warnings::add);
    Path agentCa = dir.resolve("agent-ca.pem");
    Files.writeString(agentCa, proxy.caCertificatePem());
    channel = NettyChannelBuilder.forAddress(GRPC, 443)
        .proxyDetector(target -> HttpConnectProxiedSocketAddress.newBuilder()
            .setTargetAddress(InetSocketAddress.createUnresolved(GRPC, 443))
            .setProxyAddress(new InetSocketAddress("127.0.0.1", proxy.address().getPort()))
            .setUsername("authsome").setPassword(proxy.credential()).build())
        .sslContext(GrpcSslContexts.forClient().trustManager(agentCa.toFile()).build())
        .build();
  }

  @AfterEach
  void stopGrpc() throws InterruptedException {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (server != null) {
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void unaryAndClientAndBidiStreamingCalls_reachTheServerWithTheCredential() throws Exception {
    assertThat(ClientCalls.blockingUnaryCall(channel, UNARY, CallOptions.DEFAULT, "hi")).isEqualTo("unary:hi");

    LinkedBlockingQueue<String> joined = new LinkedBlockingQueue<>();
    StreamObserver<String> up = ClientCalls.asyncClientStreamingCall(channel.newCall(CLIENT_STREAM,
        CallOptions.DEFAULT), collector(joined));
    up.onNext("a");
    up.onNext("b");
    up.onNext("c");
    up.onCompleted();
    assertThat(joined.poll(20, TimeUnit.SECONDS)).isEqualTo("joined:abc");

    LinkedBlockingQueue<String> echoed = new LinkedBlockingQueue<>();
    StreamObserver<String> both = ClientCalls.asyncBidiStreamingCall(channel.newCall(BIDI, CallOptions.DEFAULT),
        collector(echoed));
    both.onNext("one");
    assertThat(echoed.poll(20, TimeUnit.SECONDS)).isEqualTo("bidi:one");
    both.onNext("two");
    assertThat(echoed.poll(20, TimeUnit.SECONDS)).isEqualTo("bidi:two");
    both.onCompleted();

    assertThat(seenAuthorization).hasSize(3).allMatch(a -> a.equals("Bearer " + KEY));
  }

  @Test
  void aServerStream_deliversItsFirstMessageBeforeItEnds() {
    long start = System.nanoTime();
    Iterator<String> replies = ClientCalls.blockingServerStreamingCall(channel, SERVER_STREAM, CallOptions.DEFAULT,
        "go");
    String first = replies.next();
    long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    firstReceived.countDown();
    List<String> rest = new ArrayList<>();
    replies.forEachRemaining(rest::add);

    assertThat(first).isEqualTo("first");
    assertThat(rest).containsExactly("second");
    // the server ends the stream only after the client has the first message, or after 20 s
    assertThat(waitedMillis).as("wait for the first message, which the server sent at once").isLessThan(15_000);
  }

  @Test
  void anErrorStatus_andItsMessage_arriveIntactInTheTrailers() {
    assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(channel, REFUSE, CallOptions.DEFAULT, "x"))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
          assertThat(e.getStatus().getDescription()).isEqualTo("not for you: x");
        });
  }

  static StreamObserver<String> collector(LinkedBlockingQueue<String> into) {
    return new StreamObserver<>() {
      @Override
      public void onNext(String value) {
        into.add(value);
      }

      @Override
      public void onError(Throwable t) {
        into.add("error: " + t);
      }

      @Override
      public void onCompleted() {
      }
    };
  }

  static void awaitQuietly(java.util.concurrent.CountDownLatch latch) {
    try {
      latch.await(20, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
