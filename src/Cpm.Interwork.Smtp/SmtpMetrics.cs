using System.Diagnostics.Metrics;

namespace Cpm.Interwork.Smtp;

/// <summary>Counters of the SMTP layer on the meter <c>Cpm.Interwork.Smtp</c>.</summary>
public static class SmtpMetrics
{
    public const string MeterName = "Cpm.Interwork.Smtp";

    private static readonly Meter s_meter = new(MeterName);

    /// <summary><c>smtp.client.sends</c>, tag <c>kind</c> = <see cref="Client.SmtpSendResultKind"/>.</summary>
    internal static readonly Counter<long> ClientSends = s_meter.CreateCounter<long>("smtp.client.sends", description: "Messages the client tried to send, by outcome");

    /// <summary><c>smtp.client.connections</c>: TCP sessions opened by the pool.</summary>
    internal static readonly Counter<long> ClientConnections = s_meter.CreateCounter<long>("smtp.client.connections", description: "SMTP client connections opened");

    /// <summary><c>smtp.server.sessions</c>: accepted TCP sessions.</summary>
    internal static readonly Counter<long> ServerSessions = s_meter.CreateCounter<long>("smtp.server.sessions", description: "SMTP server sessions accepted");

    /// <summary><c>smtp.server.messages</c>, tag <c>class</c> = 2/4/5 of the reply sent at the end of DATA.</summary>
    internal static readonly Counter<long> ServerMessages = s_meter.CreateCounter<long>("smtp.server.messages", description: "Messages received, by the class of the final reply");

    /// <summary><c>smtp.server.rejections</c>, tag <c>reason</c> = <see cref="Server.SmtpRejectionReason"/>.</summary>
    internal static readonly Counter<long> ServerRejections = s_meter.CreateCounter<long>("smtp.server.rejections", description: "Commands or connections the server refused, by reason");
}
