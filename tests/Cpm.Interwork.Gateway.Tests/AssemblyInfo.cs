namespace Cpm.Interwork.Gateway.Tests;
