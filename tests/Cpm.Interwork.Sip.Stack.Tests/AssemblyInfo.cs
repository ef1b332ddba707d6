namespace Cpm.Interwork.Sip.Stack.Tests;
