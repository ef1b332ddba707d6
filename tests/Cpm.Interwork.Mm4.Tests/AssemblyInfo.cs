namespace Cpm.Interwork.Mm4.Tests;
