import Foundation
import TLSTool

exit(DemoCommand.main())
