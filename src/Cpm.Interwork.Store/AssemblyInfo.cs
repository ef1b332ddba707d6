namespace Cpm.Interwork.Store;
