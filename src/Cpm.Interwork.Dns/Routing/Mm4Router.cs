using System.Collections.Immutable;
using System.Net;
using Cpm.Interwork.Dns.Client;
using Cpm.Interwork.Dns.E164;
using Cpm.Interwork.Dns.Wire;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cpm.Interwork.Dns.Routing;

/// <summary>Routes one recipient to MM4 relays; implemented by <see cref="Mm4Router"/> (a seam for the gateway's tests).</summary>
public interface IMm4Router
{
    Task<RouteResult> RouteAsync(string recipient, CancellationToken cancellationToken = default);
}

/// <summary>
/// Finds where to send an MM4 message for one recipient: static routes (exact MSISDN &gt; longest prefix
/// &gt; domain), then ENUM, then MX of the domain (RFC 5321 §5.1: ascending preference, random among
/// equals, the domain's own A/AAAA when there is no MX, CNAMEs followed), giving ordered relay endpoints
/// and the RCPT TO address. Every step is logged at Debug.
/// </summary>
public sealed partial class Mm4Router : IMm4Router
{
    private readonly IDnsResolver _dns;
    private readonly EnumResolver _enum;
    private readonly RoutingOptions _options;
    private readonly ILogger _logger;
    private readonly Random _random;
    private readonly Dictionary<string, RouteEntry> _exact = new(StringComparer.Ordinal);
    private readonly List<(string Prefix, RouteEntry Route)> _prefixes = [];
    private readonly Dictionary<string, RouteEntry> _domains = new(StringComparer.Ordinal);

    public Mm4Router(IDnsResolver dns, EnumResolver enumResolver, RoutingOptions options, ILogger<Mm4Router>? logger = null, Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(dns);
        ArgumentNullException.ThrowIfNull(enumResolver);
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("invalid routing options: " + string.Join("; ", errors), nameof(options));
        }

        _dns = dns;
        _enum = enumResolver;
        _options = options;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _random = random ?? Random.Shared;
        foreach (var route in options.Routes)
        {
            if (!RouteKey.TryParse(route.Key, out var key))
            {
                continue; // unreachable: Validate() accepted every key
            }

            switch (key.Kind)
            {
                case RouteKeyKind.Msisdn:
                    _exact[key.Value] = route;
                    break;
                case RouteKeyKind.Prefix:
                    _prefixes.Add((key.Value, route));
                    break;
                default:
                    _domains[key.Value] = route;
                    break;
            }
        }

        _prefixes.Sort((a, b) => b.Prefix.Length.CompareTo(a.Prefix.Length));
    }

    /// <summary>
    /// Routes a recipient given as a number ("+15550100002", "tel:+1...", "+1.../TYPE=PLMN") or a mailbox
    /// ("+15550100002/TYPE=PLMN@mms.example.net", "user@mms.example.net").
    /// </summary>
    public async Task<RouteResult> RouteAsync(string recipient, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        var result = await RouteCoreAsync(recipient.Trim(), cancellationToken).ConfigureAwait(false);
        LogResult(recipient, result.Status, result.Source, result.RcptTo, result.Relays.Length, result.Reason);
        return result;
    }

    private async Task<RouteResult> RouteCoreAsync(string recipient, CancellationToken cancellationToken)
    {
        string? local = null;
        string? recipientDomain = null;
        var at = recipient.LastIndexOf('@');
        if (at >= 0)
        {
            local = recipient[..at];
            recipientDomain = recipient[(at + 1)..].TrimEnd('.');
            if (local.Length == 0 || !RoutingOptions.IsDomain(recipientDomain))
            {
                return NotFound(recipient, null, $"recipient '{recipient}' is not a mailbox or an E.164 number");
            }
        }

        var msisdn = EnumResolver.ToAus(local ?? recipient);
        if (msisdn is null && recipientDomain is null)
        {
            return NotFound(recipient, null, $"recipient '{recipient}' is not a mailbox or an E.164 number");
        }

        // 1. Static routes by number: exact, then the longest prefix.
        if (msisdn is not null)
        {
            if (_exact.TryGetValue(msisdn, out var exact))
            {
                LogStep(recipient, "static route (exact MSISDN)", exact.Key);
                return await FromStaticAsync(recipient, msisdn, exact, RouteSource.StaticMsisdn, cancellationToken).ConfigureAwait(false);
            }

            foreach (var (prefix, route) in _prefixes)
            {
                if (msisdn.StartsWith(prefix, StringComparison.Ordinal))
                {
                    LogStep(recipient, "static route (prefix)", route.Key);
                    return await FromStaticAsync(recipient, msisdn, route, RouteSource.StaticPrefix, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        // 2. The domain: from the address itself, else from ENUM.
        string domain;
        string rcptTo;
        RouteSource source;
        if (recipientDomain is not null)
        {
            domain = recipientDomain;
            rcptTo = recipient;
            source = RouteSource.RecipientDomain;
        }
        else
        {
            if (!_options.UseEnum)
            {
                return NotFound(recipient, msisdn, $"no static route for {msisdn} and ENUM is off");
            }

            var enumResult = await _enum.ResolveAsync(msisdn!, cancellationToken).ConfigureAwait(false);
            LogEnum(recipient, enumResult.Status, enumResult.Uri ?? enumResult.Detail);

            switch (enumResult.Status)
            {
                case EnumResultStatus.Mailto:
                    domain = enumResult.MailtoDomain!;
                    rcptTo = enumResult.MailtoAddress!;
                    source = RouteSource.Enum;
                    break;
                case EnumResultStatus.DnsFailure:
                    return new RouteResult
                    {
                        Status = RouteStatus.DnsFailure, Recipient = recipient, Msisdn = msisdn,
                        Reason = $"no route for {msisdn}: ENUM lookup failed ({enumResult.Detail})",
                    };
                default:
                    return NotFound(recipient, msisdn, $"no route for {msisdn}: ENUM {enumResult.Status}{(enumResult.Detail is null ? "" : $" ({enumResult.Detail})")}");
            }
        }

        // 3. Domain routes apply to the domain however it was found.
        if (_domains.TryGetValue(DnsName.Normalize(domain), out var domainRoute))
        {
            LogStep(recipient, "static route (domain)", domainRoute.Key);
            var target = string.IsNullOrWhiteSpace(domainRoute.Domain) ? domain : domainRoute.Domain.Trim();
            rcptTo = ReplaceDomain(rcptTo, target);
            if (source == RouteSource.RecipientDomain)
            {
                source = RouteSource.StaticDomain;
            }

            if (!string.IsNullOrWhiteSpace(domainRoute.Relay))
            {
                return await FromRelayAsync(recipient, msisdn, target, rcptTo, domainRoute.Relay, source, cancellationToken).ConfigureAwait(false);
            }

            domain = target;
        }

        return await FromMxAsync(recipient, msisdn, domain, rcptTo, source, cancellationToken).ConfigureAwait(false);
    }

    private async Task<RouteResult> FromStaticAsync(string recipient, string msisdn, RouteEntry route, RouteSource source, CancellationToken cancellationToken)
    {
        var domain = route.Domain!.Trim();
        var rcptTo = $"{msisdn}/TYPE=PLMN@{domain}";
        return string.IsNullOrWhiteSpace(route.Relay)
            ? await FromMxAsync(recipient, msisdn, domain, rcptTo, source, cancellationToken).ConfigureAwait(false)
            : await FromRelayAsync(recipient, msisdn, domain, rcptTo, route.Relay, source, cancellationToken).ConfigureAwait(false);
    }

    private async Task<RouteResult> FromRelayAsync(string recipient, string? msisdn, string domain, string rcptTo, string relay,
        RouteSource source, CancellationToken cancellationToken)
    {
        RoutingOptions.TryParseRelay(relay, _options.SmtpPort, out var host, out var port);
        if (IPAddress.TryParse(host, out var literal))
        {
            return Routed(recipient, msisdn, domain, rcptTo, source, [new RelayEndpoint(host!, [literal], port, 0)]);
        }

        var (addresses, failure) = await ResolveAddressesAsync(host!, cancellationToken).ConfigureAwait(false);
        if (_logger.IsEnabled(LogLevel.Debug))
        {
            LogStep(recipient, "relay address " + host, addresses.Length > 0 ? string.Join(",", addresses) : failure?.ToString() ?? "none");
        }

        if (addresses.Length > 0)
        {
            return Routed(recipient, msisdn, domain, rcptTo, source, [new RelayEndpoint(host!, addresses, port, 0)]);
        }

        return Fail(recipient, msisdn, domain, failure, $"configured relay {host} has no address");
    }

    private async Task<RouteResult> FromMxAsync(string recipient, string? msisdn, string domain, string rcptTo, RouteSource source, CancellationToken cancellationToken)
    {
        var (mxResult, canonical) = await QueryFollowingCnamesAsync(domain, DnsRecordType.Mx, cancellationToken).ConfigureAwait(false);
        LogMx(recipient, domain, mxResult);

        if (mxResult.IsNameError)
        {
            return NotFound(recipient, msisdn, $"no route for {msisdn ?? recipient}: domain {domain} does not exist (NXDOMAIN)", domain);
        }

        if (mxResult.IsFailure)
        {
            return Fail(recipient, msisdn, domain, mxResult, $"MX lookup of {domain} failed");
        }

        var mx = mxResult.Answers.OfType<MxRecord>().Where(r => DnsName.EqualsIgnoreCase(r.Name, canonical)).ToList();
        if (mx.Count == 1 && mx[0].IsNullMx)
        {
            return NotFound(recipient, msisdn, $"no route for {msisdn ?? recipient}: {domain} publishes a null MX (RFC 7505)", domain);
        }

        List<(string Host, int Preference)> hosts;
        if (mx.Count == 0)
        {
            // RFC 5321 §5.1: no MX → the domain itself is the implicit MX with preference 0.
            if (_logger.IsEnabled(LogLevel.Debug))
            {
                LogStep(recipient, "no MX for " + domain, "falling back to A/AAAA");
            }

            hosts = [(canonical, 0)];
        }
        else
        {
            hosts = [.. mx.Where(r => !r.IsNullMx)
                .GroupBy(r => r.Preference)
                .OrderBy(g => g.Key)
                .SelectMany(g => g.OrderBy(_ => _random.Next()))
                .Take(_options.MaxMxHosts)
                .Select(r => (r.Exchange, (int)r.Preference))];
        }

        var relays = ImmutableArray.CreateBuilder<RelayEndpoint>();
        DnsResult? failure = null;
        foreach (var (host, preference) in hosts)
        {
            var (addresses, hostFailure) = await ResolveAddressesAsync(host, cancellationToken).ConfigureAwait(false);
            if (_logger.IsEnabled(LogLevel.Debug))
            {
                LogStep(recipient, "address " + host, addresses.Length > 0 ? string.Join(",", addresses) : hostFailure?.ToString() ?? "none");
            }

            if (addresses.Length > 0)
            {
                relays.Add(new RelayEndpoint(host, addresses, _options.SmtpPort, preference));
            }
            else if (hostFailure is not null)
            {
                failure ??= hostFailure;
            }
        }

        if (relays.Count == 0)
        {
            return Fail(recipient, msisdn, domain, failure, $"no address for the mail hosts of {domain} ({string.Join(", ", hosts.Select(h => h.Host))})");
        }

        return Routed(recipient, msisdn, domain, rcptTo, source, relays.ToImmutable());
    }

    /// <summary>A then AAAA, CNAMEs followed. The failure is set only when a lookup failed (not for NXDOMAIN / NODATA).</summary>
    private async Task<(ImmutableArray<IPAddress> Addresses, DnsResult? Failure)> ResolveAddressesAsync(string host, CancellationToken cancellationToken)
    {
        var v4 = QueryFollowingCnamesAsync(host, DnsRecordType.A, cancellationToken);
        var v6 = QueryFollowingCnamesAsync(host, DnsRecordType.Aaaa, cancellationToken);
        var (a, aName) = await v4.ConfigureAwait(false);
        var (aaaa, aaaaName) = await v6.ConfigureAwait(false);
        var addresses = a.Answers.OfType<ARecord>().Where(r => DnsName.EqualsIgnoreCase(r.Name, aName)).Select(r => r.Address)
            .Concat(aaaa.Answers.OfType<AaaaRecord>().Where(r => DnsName.EqualsIgnoreCase(r.Name, aaaaName)).Select(r => r.Address))
            .ToImmutableArray();
        var failure = a.IsFailure ? a : aaaa.IsFailure ? aaaa : null;
        return (addresses, failure);
    }

    /// <summary>
    /// Queries a name, following CNAMEs inside the answer and re-querying the last target when the
    /// answer stops at a CNAME, up to <see cref="RoutingOptions.MaxCnameDepth"/>. Returns the last
    /// result and the canonical name the records must be owned by.
    /// </summary>
    private async Task<(DnsResult Result, string Canonical)> QueryFollowingCnamesAsync(string name, DnsRecordType type, CancellationToken cancellationToken)
    {
        var current = name;
        var hops = 0;
        while (true)
        {
            var result = await _dns.QueryAsync(current, type, cancellationToken).ConfigureAwait(false);
            if (!result.IsSuccess)
            {
                return (result, current);
            }

            var start = current;
            var cnames = result.Answers.OfType<CnameRecord>().ToList();
            while (cnames.FirstOrDefault(c => DnsName.EqualsIgnoreCase(c.Name, current)) is { } cname)
            {
                if (++hops > _options.MaxCnameDepth)
                {
                    return (DnsResult.Failure(result.Question, DnsResultStatus.FormatError, $"CNAME chain from {name} longer than {_options.MaxCnameDepth}"), current);
                }

                current = cname.Target;
            }

            if (DnsName.EqualsIgnoreCase(start, current) || result.Answers.Any(r => r.Type == type && DnsName.EqualsIgnoreCase(r.Name, current)))
            {
                return (result, current);
            }
        }
    }

    private static string ReplaceDomain(string rcptTo, string domain)
    {
        var at = rcptTo.LastIndexOf('@');
        return (at >= 0 ? rcptTo[..at] : rcptTo) + "@" + domain;
    }

    private static RouteResult Routed(string recipient, string? msisdn, string domain, string rcptTo, RouteSource source, ImmutableArray<RelayEndpoint> relays) =>
        new() { Status = RouteStatus.Routed, Recipient = recipient, Msisdn = msisdn, Domain = domain, RcptTo = rcptTo, Source = source, Relays = relays };

    private static RouteResult NotFound(string recipient, string? msisdn, string reason, string? domain = null) =>
        new() { Status = RouteStatus.NotFound, Recipient = recipient, Msisdn = msisdn, Domain = domain, Reason = reason };

    private static RouteResult Fail(string recipient, string? msisdn, string domain, DnsResult? failure, string what) =>
        failure is null
            ? NotFound(recipient, msisdn, $"no route for {msisdn ?? recipient}: {what}", domain)
            : new RouteResult
            {
                Status = RouteStatus.DnsFailure, Recipient = recipient, Msisdn = msisdn, Domain = domain,
                Reason = $"no route for {msisdn ?? recipient}: {what}: {failure}",
            };

    [LoggerMessage(Level = LogLevel.Debug, Message = "Route {Recipient}: ENUM {Status} {Detail}")]
    private partial void LogEnum(string recipient, EnumResultStatus status, string? detail);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Route {Recipient}: MX {Domain}: {Result}")]
    private partial void LogMx(string recipient, string domain, DnsResult result);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Route {Recipient}: {Step}: {Outcome}")]
    private partial void LogStep(string recipient, string step, string outcome);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Route {Recipient}: {Status} via {Source}, RCPT TO {RcptTo}, {RelayCount} relay(s) {Reason}")]
    private partial void LogResult(string recipient, RouteStatus status, RouteSource source, string? rcptTo, int relayCount, string? reason);
}
