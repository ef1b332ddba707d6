namespace Cpm.Interwork.Sip.Stack.Transport;

/// <summary>
/// Where the responses of one server transaction go: chosen once per request by the response routing of
/// RFC 3261 §18.2.2 (the same TCP connection, or the UDP address from <c>received</c>/<c>rport</c>/sent-by).
/// </summary>
public interface ISipResponseSink
{
    /// <summary>The transport the request came in on.</summary>
    SipTransportKind Transport { get; }

    /// <summary>Sends one whole response. False when the transport failed (the transaction then terminates).</summary>
    ValueTask<bool> SendAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken);
}
