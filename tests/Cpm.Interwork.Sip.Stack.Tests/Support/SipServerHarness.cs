using System.Net;
using System.Net.Sockets;
using System.Text;
using Cpm.Interwork.Sip.Stack.Transport;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cpm.Interwork.Sip.Stack.Tests.Support;

/// <summary>An in-process <see cref="SipServer"/> on OS-chosen loopback ports (UDP and TCP), with raw socket clients.</summary>
internal sealed class SipServerHarness : IAsyncDisposable
{
    private SipServerHarness(SipServer server)
    {
        Server = server;
        UdpEndPoint = server.BoundEndpoints.First(e => e.Transport == SipTransportKind.Udp).EndPoint;
        TcpEndPoint = server.BoundEndpoints.FirstOrDefault(e => e.Transport == SipTransportKind.Tcp)?.EndPoint;
    }

    public SipServer Server { get; }

    public IPEndPoint UdpEndPoint { get; }

    public IPEndPoint? TcpEndPoint { get; }

    public static async Task<SipServerHarness> StartAsync(ISipMessageHandler? handler = null, SipStackOptions? options = null, TimeProvider? time = null, IPAddress? address = null)
    {
        address ??= IPAddress.Loopback;
        options ??= new SipStackOptions();
        options = new SipStackOptions
        {
            Listen = options.Listen == SipStackOptions.DefaultListen
                ? [new(SipTransportKind.Udp, new IPEndPoint(address, 0)), new(SipTransportKind.Tcp, new IPEndPoint(address, 0))]
                : options.Listen,
            T1 = options.T1,
            T2 = options.T2,
            MaxHeaderBytes = options.MaxHeaderBytes,
            MaxBodyBytes = options.MaxBodyBytes,
            MaxTcpConnections = options.MaxTcpConnections,
            TcpIdleTimeout = options.TcpIdleTimeout,
            MaxTransactions = options.MaxTransactions,
            MessageHandlerTimeout = options.MessageHandlerTimeout,
            ShutdownDrainTimeout = options.ShutdownDrainTimeout,
            RetryAfterSeconds = options.RetryAfterSeconds,
            AcceptedContentTypes = options.AcceptedContentTypes,
            SupportedOptionTags = options.SupportedOptionTags,
            ServerName = options.ServerName,
        };
        var server = new SipServer(options, handler ?? new UnavailableMessageHandler(), time ?? TimeProvider.System, NullLoggerFactory.Instance);
        await server.StartAsync(CancellationToken.None);
        return new SipServerHarness(server);
    }

    public async ValueTask DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>A UDP client socket on loopback that sends requests and reads responses with a timeout.</summary>
internal sealed class UdpSipClient : IDisposable
{
    private readonly UdpClient _client;

    public UdpSipClient(AddressFamily family = AddressFamily.InterNetwork)
    {
        _client = new UdpClient(new IPEndPoint(family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Loopback : IPAddress.Loopback, 0));
    }

    public int Port => ((IPEndPoint)_client.Client.LocalEndPoint!).Port;

    public Task SendAsync(byte[] message, IPEndPoint server) => _client.SendAsync(message, server).AsTask();

    public async Task<string?> ReceiveAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            var result = await _client.ReceiveAsync(cts.Token);
            return Encoding.UTF8.GetString(result.Buffer);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    public void Dispose() => _client.Dispose();
}

/// <summary>A TCP client connection that writes requests and reads whole responses (framed by Content-Length).</summary>
internal sealed class TcpSipClient : IDisposable
{
    private readonly TcpClient _client = new();
    private readonly List<byte> _pending = [];
    private NetworkStream? _stream;

    public int Port => ((IPEndPoint)_client.Client.LocalEndPoint!).Port;

    public async Task ConnectAsync(IPEndPoint server)
    {
        await _client.ConnectAsync(server);
        _stream = _client.GetStream();
    }

    public Task SendAsync(byte[] message) => _stream!.WriteAsync(message).AsTask();

    /// <summary>Reads one response, or null on timeout; "" when the server closed the connection.</summary>
    public async Task<string?> ReceiveAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var buffer = new byte[8192];
        while (true)
        {
            var text = Encoding.UTF8.GetString([.. _pending]);
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end >= 0)
            {
                var length = int.Parse(SipTestMessages.HeaderOf(text, "Content-Length") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
                var total = Encoding.UTF8.GetByteCount(text[..(end + 4)]) + length;
                if (_pending.Count >= total)
                {
                    var message = Encoding.UTF8.GetString([.. _pending.Take(total)]);
                    _pending.RemoveRange(0, total);
                    return message;
                }
            }

            int read;
            try
            {
                read = await _stream!.ReadAsync(buffer, cts.Token);
            }
            catch (OperationCanceledException)
            {
                return null;
            }
            catch (IOException)
            {
                return string.Empty;
            }

            if (read == 0)
            {
                return string.Empty;
            }

            _pending.AddRange(buffer.AsSpan(0, read).ToArray());
        }
    }

    public void Dispose() => _client.Dispose();
}
