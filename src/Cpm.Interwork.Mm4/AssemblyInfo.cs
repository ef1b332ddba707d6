namespace Cpm.Interwork.Mm4;
