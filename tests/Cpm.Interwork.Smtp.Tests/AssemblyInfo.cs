namespace Cpm.Interwork.Smtp.Tests;
