namespace Cpm.Interwork.Core;
