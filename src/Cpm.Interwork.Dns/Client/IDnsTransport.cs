using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Cpm.Interwork.Dns.Client;

/// <summary>
/// The I/O seam under <see cref="DnsClient"/>: tests replace it to inject captured bytes. Cancellation
/// (the per-query timeout) surfaces as <see cref="OperationCanceledException"/>; network failures as
/// <see cref="SocketException"/> or <see cref="IOException"/>.
/// </summary>
public interface IDnsTransport
{
    /// <summary>
    /// Sends one datagram and returns the first received datagram that <paramref name="accept"/> takes;
    /// others (spoofed, late or mismatched answers) are dropped and the wait goes on.
    /// </summary>
    Task<byte[]> QueryUdpAsync(IPEndPoint server, ReadOnlyMemory<byte> query, Func<ReadOnlyMemory<byte>, bool> accept, CancellationToken cancellationToken);

    /// <summary>One exchange over TCP with the two-octet length prefix (RFC 1035 §4.2.2).</summary>
    Task<byte[]> QueryTcpAsync(IPEndPoint server, ReadOnlyMemory<byte> query, CancellationToken cancellationToken);
}

/// <summary>The socket implementation: a fresh socket (fresh source port) per exchange.</summary>
public sealed class SocketDnsTransport : IDnsTransport
{
    /// <summary>Receive buffer: the largest UDP payload.</summary>
    private const int MaxUdpMessage = 65_535;

    public async Task<byte[]> QueryUdpAsync(IPEndPoint server, ReadOnlyMemory<byte> query, Func<ReadOnlyMemory<byte>, bool> accept, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(accept);
        using var socket = new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);

        // A connected UDP socket only delivers datagrams from the server's address and port.
        await socket.ConnectAsync(server, cancellationToken).ConfigureAwait(false);
        await socket.SendAsync(query, SocketFlags.None, cancellationToken).ConfigureAwait(false);
        var buffer = new byte[MaxUdpMessage];
        while (true)
        {
            var received = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            var datagram = buffer.AsMemory(0, received);
            if (accept(datagram))
            {
                return datagram.ToArray();
            }
        }
    }

    public async Task<byte[]> QueryTcpAsync(IPEndPoint server, ReadOnlyMemory<byte> query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(server);
        using var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(server, cancellationToken).ConfigureAwait(false);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        var frame = new byte[query.Length + 2];
        BinaryPrimitives.WriteUInt16BigEndian(frame, (ushort)query.Length);
        query.CopyTo(frame.AsMemory(2));
        await stream.WriteAsync(frame, cancellationToken).ConfigureAwait(false);
        var prefix = new byte[2];
        await stream.ReadExactlyAsync(prefix, cancellationToken).ConfigureAwait(false);
        var length = BinaryPrimitives.ReadUInt16BigEndian(prefix);
        var message = new byte[length];
        await stream.ReadExactlyAsync(message, cancellationToken).ConfigureAwait(false);
        return message;
    }
}
