namespace Cpm.Interwork.Store.Tests;
