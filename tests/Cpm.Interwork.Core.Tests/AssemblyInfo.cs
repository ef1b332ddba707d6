namespace Cpm.Interwork.Core.Tests;
