"""The cadres pages, one module per part of 经纬雁阵."""
