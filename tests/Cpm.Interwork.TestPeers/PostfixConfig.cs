using System.Globalization;

namespace Cpm.Interwork.TestPeers;

/// <summary>Configuration text shared by every private Postfix the tests start.</summary>
public static class PostfixConfig
{
    /// <summary>master.cf with one smtpd on <c>127.0.0.1:smtpdPort</c> and the daemons a relay-only Postfix needs.</summary>
    public static string MasterCf(int smtpdPort) => string.Create(CultureInfo.InvariantCulture, $"""
        127.0.0.1:{smtpdPort} inet n - n - - smtpd
        cleanup   unix  n - n - 0 cleanup
        qmgr      unix  n - n 300 1 qmgr
        rewrite   unix  - - n - - trivial-rewrite
        bounce    unix  - - n - 0 bounce
        defer     unix  - - n - 0 bounce
        trace     unix  - - n - 0 bounce
        verify    unix  - - n - 1 verify
        flush     unix  n - n 1000? 0 flush
        proxymap  unix  - - n - - proxymap
        smtp      unix  - - n - - smtp
        relay     unix  - - n - - smtp
        showq     unix  n - n - - showq
        error     unix  - - n - - error
        retry     unix  - - n - - error
        discard   unix  - - n - - discard
        anvil     unix  - - n - 1 anvil
        scache    unix  - - n - 1 scache
        postlog   unix-dgram n - n - 1 postlogd

        """);
}
