"""setuptools glue for `pip install .`: CMake builds the native module
(target copydesk_python); the package gets it and a copy of dictionaries/
under copydesk/share/copydesk/dictionaries, where the library looks for them
relative to the module."""
import glob
import os
import shutil
import subprocess
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

SRC = os.path.dirname(os.path.abspath(__file__))


class CMakeBuild(build_ext):
    def build_extension(self, ext):
        build = os.path.join(os.path.abspath(self.build_temp), "cmake")
        subprocess.run(["cmake", "-S", SRC, "-B", build, "-DCMAKE_BUILD_TYPE=Release", "-DCOPYDESK_TESTS=OFF",
                        "-DCOPYDESK_PYTHON=ON", "-DCOPYDESK_SERVER=OFF", f"-DPython_EXECUTABLE={sys.executable}"],
                       check=True)
        subprocess.run(["cmake", "--build", build, "--target", "copydesk_python"], check=True)
        target = self.get_ext_fullpath(ext.name)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        built = glob.glob(os.path.join(build, "python", "copydesk", "_copydesk*.so"))
        shutil.copy2(built[0], target)
        data = os.path.join(os.path.dirname(target), "share", "copydesk", "dictionaries")
        shutil.rmtree(data, ignore_errors=True)
        os.makedirs(data)
        for f in glob.glob(os.path.join(SRC, "dictionaries", "*.txt")):
            shutil.copy2(f, data)


setup(
    packages=["copydesk"],
    package_dir={"": "python"},
    ext_modules=[Extension("copydesk._copydesk", sources=[])],
    cmdclass={"build_ext": CMakeBuild},
    zip_safe=False,
    options={"build": {"build_base": "build-pip"}},  # not build/, the CMake build of the README
)
