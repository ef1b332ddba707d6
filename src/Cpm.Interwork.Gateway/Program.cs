using Cpm.Interwork.Gateway.Hosting;

// The composition root. Exit codes: 0 clean stop, 2 bad configuration (one line on stderr naming the key),
// 3 a listener could not be bound or the host failed to start (one line on stderr).
return await GatewayHost.RunAsync(args).ConfigureAwait(false);
