namespace Cpm.Interwork.Sip.Tests;
