using System.Diagnostics.CodeAnalysis;

[assembly: SuppressMessage("Performance", "CA1873:Avoid potentially expensive logging",
    Scope = "namespaceanddescendants", Target = "~N:Cpm.Interwork.Gateway.Interworking",
    Justification = "The lifecycle events are Information-level operator events that are on in production; their arguments are masked numbers and short joins computed once per message.")]
