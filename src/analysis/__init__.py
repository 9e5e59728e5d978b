"""News corpus analysis: loaders, cleaners and analyses for collections of news articles."""

__version__ = "0.1.0"
