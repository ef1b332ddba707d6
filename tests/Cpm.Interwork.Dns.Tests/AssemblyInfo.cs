namespace Cpm.Interwork.Dns.Tests;
